"""Training: data loading and validation, fitting with a held-out split, evaluation."""

from cxnlp.train.data import TrainingData, load_training_data

__all__ = ["TrainingData", "load_training_data"]
