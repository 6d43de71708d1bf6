"""A serving process sets its startup heap aside from garbage collection."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from asta.app import YOUNG_COLLECTION_EVERY, serving_app


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


@pytest.mark.usefixtures("restored_gc")
def test_the_apps_objects_are_frozen_and_young_collections_are_rare() -> None:
    gc.unfreeze()
    serving_app()
    assert gc.get_freeze_count() > 100_000  # the app, the models, Litestar's own
    assert gc.get_threshold()[0] == YOUNG_COLLECTION_EVERY
