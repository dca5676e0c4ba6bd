"""Sentiment and service pain-point classifiers: training data, models, evaluation."""
