"""From policy captures to history: versions (captures grouped by normalized text) and the changes between
consecutive versions."""
