"""Database backends of the project: Django's own, changed where `make bench` shows it pays."""
