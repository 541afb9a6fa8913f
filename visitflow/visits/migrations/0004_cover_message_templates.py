"""Default wording (zh/en) of the SOP 5.2 apology to the customer; admins edit it like the
other customer-message templates (logistics.MessageTemplate)."""

from django.db import migrations

TEMPLATES = {
    ("cover_stand_in", "zh-hans"): (
        "{customer}您好！非常抱歉，{host}在您到访期间（{date}）{away}，无法亲自接待您。"
        "公司已安排{stand_in}（电话 {stand_in_phone}）全程接待您，如有任何需要请随时联系。"
        "给您带来不便，敬请谅解！{company}"
    ),
    ("cover_stand_in", "en"): (
        "Dear {customer}, we are sorry: {host} is {away} during your visit ({date}) and cannot "
        "receive you in person. {stand_in} (phone {stand_in_phone}) will host you throughout; "
        "please call them for anything you need. We apologise for the inconvenience. {company}"
    ),
    ("cover_new_dates", "zh-hans"): (
        "{customer}您好！非常抱歉，{host}在原定到访期间（{date}）{away}，无法亲自接待您。"
        "经与您协商，到访时间调整为{new_start}至{new_end}，届时{host}（电话 {host_phone}）"
        "将亲自接待您。给您带来不便，敬请谅解！{company}"
    ),
    ("cover_new_dates", "en"): (
        "Dear {customer}, we are sorry: {host} is {away} on the dates planned for your visit "
        "({date}). As agreed with you, the visit now takes place from {new_start} to {new_end}, "
        "and {host} (phone {host_phone}) will receive you in person. We apologise for the "
        "inconvenience. {company}"
    ),
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("logistics", "MessageTemplate")
    for (code, language), text in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(code=code, language=language, defaults={"text": text})


def unload(apps, schema_editor):
    MessageTemplate = apps.get_model("logistics", "MessageTemplate")
    MessageTemplate.objects.filter(code__in={code for code, _language in TEMPLATES}).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0003_cover_and_reschedule_proposals"),
        ("logistics", "0003_templates_and_leader_rules"),
    ]
    operations = [migrations.RunPython(load, unload)]
