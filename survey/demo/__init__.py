"""Demo data: synthetic, clearly labelled, never real people."""
