"""Every write to hospitality spend: standards, planned lines, approvals, actual spend.

Each service runs in one transaction and writes its ActivityLog row there (old → new
amounts in `changes`); nothing about money is deleted, only voided with a reason.
One module per area; the names are gathered here for callers."""

from visitflow.spend.services._amounts import clean_amount
from visitflow.spend.services.actuals import (
    actual_attach_receipt,
    actual_confirm,
    actual_record,
    actual_void,
)
from visitflow.spend.services.lines import (
    Judgement,
    approvers_for,
    judge,
    line_approve,
    line_plan,
    line_refuse,
    line_submit_over,
    line_update,
    line_void,
    required_approver,
)
from visitflow.spend.services.standards import standard_create, standard_in_force, standard_update

__all__ = [
    "Judgement",
    "actual_attach_receipt",
    "actual_confirm",
    "actual_record",
    "actual_void",
    "approvers_for",
    "clean_amount",
    "judge",
    "line_approve",
    "line_plan",
    "line_refuse",
    "line_submit_over",
    "line_update",
    "line_void",
    "required_approver",
    "standard_create",
    "standard_in_force",
    "standard_update",
]
