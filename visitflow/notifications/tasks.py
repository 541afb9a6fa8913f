"""Background tasks: ids in, a service call, no logic (see services for the engine)."""

from django_tasks import task

from visitflow.notifications import services


@task()
def deliver(delivery_id: int) -> None:
    services.delivery_send(delivery_id=delivery_id)
