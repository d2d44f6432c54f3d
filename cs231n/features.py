"""Image features: HOG and colour histograms (being written: issue 6)."""
