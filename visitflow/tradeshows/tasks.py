"""Background tasks: ids in, a service call, no logic."""

from django_tasks import task

from visitflow.tradeshows.services.letters import invitation_letter_email_send


@task()
def email_invitation_letter(invitation_id: int, actor_id: int | None) -> None:
    invitation_letter_email_send(invitation_id=invitation_id, actor_id=actor_id)
