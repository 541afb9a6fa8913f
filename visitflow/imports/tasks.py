"""Background tasks: ids in, a service call, no logic."""

from django_tasks import task

from visitflow.imports import services


@task()
def run_import(job_id: int) -> int:
    return services.import_job_run(job_id=job_id)
