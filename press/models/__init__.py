"""The press office's content, split by concern and re-exported here (`from press.models
import Article`).

Submodules depend one way: `photos`, `topics` and `history` on nothing of this package,
`people` on `photos`, `editorial` on `history`, `articles` on all of them; `legal` and
`policies` stand alone. The workflow's states
and steps, and the public rule, are in `press.workflow`.
"""

from press.workflow import FourEyesViolation, WorkflowError

from .articles import STALE_COPY, Article, ArticleQuerySet, ConcurrentEditError
from .editorial import CHANGE_NOTE_MISSING
from .history import ArticleEvent
from .legal import LegalPage
from .people import Author, PressContact, Quote, Spokesperson, SpokespersonQuerySet
from .photos import Photo, photo_upload_to
from .policies import RolePolicy
from .topics import Topic, TopicQuerySet

__all__ = [
    "CHANGE_NOTE_MISSING",
    "STALE_COPY",
    "Article",
    "ArticleEvent",
    "ArticleQuerySet",
    "Author",
    "ConcurrentEditError",
    "FourEyesViolation",
    "LegalPage",
    "Photo",
    "PressContact",
    "Quote",
    "RolePolicy",
    "Spokesperson",
    "SpokespersonQuerySet",
    "Topic",
    "TopicQuerySet",
    "WorkflowError",
    "photo_upload_to",
]
