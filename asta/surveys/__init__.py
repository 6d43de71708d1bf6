"""Experience and quality: professionals' eNPS surveys and patients' feedback from units."""
