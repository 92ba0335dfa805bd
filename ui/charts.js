// charts (placeholder)
