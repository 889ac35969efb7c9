"""Workshop pages participants open by the workshop's join code, without an account."""

from __future__ import annotations
