"""May this user import customers, and see this import?"""

from django.contrib.auth.models import AnonymousUser

from visitflow.accounts.models import User
from visitflow.customers.permissions import can_create_customer
from visitflow.imports.models import ImportJob


def can_import_customers(user: User | AnonymousUser) -> bool:
    # An import registers customers: the same people who may register one by hand.
    return can_create_customer(user)


def can_view_import(user: User, job: ImportJob) -> bool:
    return can_import_customers(user) and job.created_by_id == user.pk
