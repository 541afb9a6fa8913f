"""Background tasks: ids in, a service call, no logic."""

from django_tasks import task


@task()
def run_import(job_id: int) -> int:
    from visitflow.imports import services  # services enqueue this task: import late

    return services.import_job_run(job_id=job_id)
