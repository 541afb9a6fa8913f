"""Races the rules must win on PostgreSQL: the same person put on two posts at once from
two requests; the same invitee checked in at two phones at once."""

import threading
from collections.abc import Callable
from datetime import time
from typing import Any

import pytest
from django.db import connection

from tests.factories.tradeshows import make_contact, make_invitations, make_post, make_show
from visitflow.core.exceptions import ApplicationError
from visitflow.tradeshows.models import BoothVisit, StaffShift
from visitflow.tradeshows.services import booth
from visitflow.tradeshows.services.shows import staff_shift_create

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(count: int, action: Callable[[int], None]) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            barrier.wait()
            action(n)
            result = "ok"
        except ApplicationError:
            result = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite is covered sequentially")


def test_one_person_on_two_posts_at_once_from_two_requests(org: dict[str, Any]) -> None:
    person = org["east_sales"]
    show = make_show(actor=org["east_manager"], team=[person])
    posts = [make_post(show, f"岗位{n}") for n in range(6)]

    def put_on_post(n: int) -> None:
        staff_shift_create(
            actor=org["east_manager"],
            post=posts[n],
            person=person,
            day=show.starts_on,
            starts_at=time(9),
            ends_at=time(12),
        )

    outcomes = race(6, put_on_post)
    assert outcomes.count("ok") == 1
    assert StaffShift.objects.filter(person=person).count() == 1


def test_one_invitee_checked_in_at_two_phones_at_once(org: dict[str, Any]) -> None:
    show = make_show(actor=org["east_manager"], team=[org["east_sales2"]])
    [invitation] = make_invitations(show, org["east_sales"], [make_contact(org["east_sales"])])

    def check_in(_n: int) -> None:
        booth.booth_check_in(actor=org["east_sales2"], show=show, invitation=invitation)

    outcomes = race(5, check_in)
    assert outcomes.count("ok") == 1
    assert BoothVisit.objects.filter(invitation=invitation).count() == 1
