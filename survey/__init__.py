"""Stimmen survey server: questionnaires in, stored answers out."""
