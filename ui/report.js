// report charts (placeholder)
