// Hornet web UI (placeholder)
