"""Evaluation: reference scores (BLEU/chrF, ROUGE), their history and tables."""
