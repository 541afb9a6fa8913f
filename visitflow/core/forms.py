from django import forms

from visitflow.core.exceptions import ApplicationError


def apply_application_error(form: forms.BaseForm, exc: ApplicationError) -> None:
    """Show a service's error on the form: next to its field when it names one."""
    placed = False
    for field, messages in exc.field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose save goes through a service.

    Uniqueness and database constraints are checked by the service (which knows, for
    instance, that a new primary contact replaces the old one, and puts a duplicate
    name's message on the name field); the form checks only the fields themselves.
    """

    def validate_unique(self) -> None:
        return None

    def _post_clean(self) -> None:
        # Django's ModelForm validates database constraints as part of full_clean();
        # here the service does it, with the message on the right field.
        instance = self.instance
        model_full_clean = instance.full_clean

        def fields_only(exclude: object = None, **_kwargs: object) -> None:
            model_full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)

        instance.full_clean = fields_only
        try:
            super()._post_clean()  # type: ignore[misc]  # private; django-stubs omits it
        finally:
            del instance.full_clean
