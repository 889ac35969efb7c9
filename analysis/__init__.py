"""Text analysis and reporting on plain data (strings, DataFrames, codebook files); never imports the web layer."""
