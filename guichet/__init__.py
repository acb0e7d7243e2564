"""Guichet: fair appointments at préfectures' foreigners' services."""
