"""Exporters turn Records into files other tools read. One module per format."""
