"""cxnlp: classify Finnish and English customer feedback by sentiment, CX themes and leave drivers.

    >>> import cxnlp
    >>> clf = cxnlp.load()
    >>> clf.predict("Kuski heitti paketin pihalle ja tiuski kun kysyin.").drivers
    ('unfriendly_service',)
"""

__version__ = "0.2.0"

from cxnlp.classifier import FeedbackClassifier, load
from cxnlp.errors import (
    CxnlpError,
    DataError,
    MissingDependencyError,
    ModelFormatError,
    NotFittedError,
    TaxonomyError,
)
from cxnlp.results import Prediction
from cxnlp.taxonomy import Label, LabelGroup, Taxonomy, default_taxonomy

__all__ = [
    "CxnlpError",
    "DataError",
    "FeedbackClassifier",
    "Label",
    "LabelGroup",
    "MissingDependencyError",
    "ModelFormatError",
    "NotFittedError",
    "Prediction",
    "Taxonomy",
    "TaxonomyError",
    "__version__",
    "default_taxonomy",
    "load",
]
