"""Background tasks: ids in, a service call, no logic."""

from django_tasks import task

from visitflow.reminders import services


@task()
def send_reminders(reminder_ids: list[int]) -> int:
    return services.reminders_send(reminder_ids=reminder_ids)
