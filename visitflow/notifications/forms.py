from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from visitflow.accounts.models import Team
from visitflow.core.forms import ServiceModelForm
from visitflow.notifications.models import DeliveryStatus, WebhookEndpoint, WebhookKind
from visitflow.notifications.selectors import ChannelChoice, PreferenceRow

CHANNEL_FIELDS = ("email", "team_webhook", "personal_webhook")


class PreferencesForm(forms.Form):
    """One checkbox per kind and channel (`<kind>__<channel>`); the inbox is always on."""

    def __init__(self, *args: Any, rows: list[PreferenceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for channel in CHANNEL_FIELDS:
                self.fields[f"{row.kind}__{channel}"] = forms.BooleanField(
                    required=False, initial=getattr(row.choice, channel), label=str(row.label)
                )

    def table(self) -> list[tuple[PreferenceRow, list[forms.BoundField]]]:
        return [
            (row, [self[f"{row.kind}__{channel}"] for channel in CHANNEL_FIELDS])
            for row in self.rows
        ]

    def choices(self) -> dict[str, ChannelChoice]:
        data = self.cleaned_data
        return {
            row.kind: ChannelChoice(
                **{channel: bool(data.get(f"{row.kind}__{channel}")) for channel in CHANNEL_FIELDS}
            )
            for row in self.rows
        }


class WebhookForm(ServiceModelForm):
    """A bot's address and secret. A stored secret is never shown again: leaving the
    field empty on an edit keeps it."""

    url = forms.URLField(
        label=_("Webhook address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Copy it from the bot's settings in the group chat, e.g. "
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "DingTalk: the 加签 secret (starts with SEC). Feishu: the signature key, if "
            "signature verification is on. WeCom: leave empty."
        ),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["kind", "url", "secret", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A service is always chosen: no empty "---------" line, WeCom first.
        self.fields["kind"].choices = WebhookKind.choices  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.fields["kind"].initial = WebhookKind.WECOM
        if self.instance.pk and self.instance.secret:
            self.fields["secret"].help_text = _(
                "A secret is stored; leave empty to keep it, or type a new one."
            )

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("kind", "url", "secret", "is_active")}


class TeamWebhookForm(WebhookForm):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label=_("Team"))

    class Meta(WebhookForm.Meta):
        fields = ["team", "kind", "url", "secret", "is_active"]

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        team_field.queryset = teams  # type: ignore[attr-defined]  # a ModelChoiceField
        if self.instance.pk:
            team_field.disabled = True


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *DeliveryStatus.choices],
    )
