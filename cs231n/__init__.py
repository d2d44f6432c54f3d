"""Helpers for CS231n Assignment 1: data, gradient checks, plots, classifiers and features."""

__version__ = "0.1.0"
