"""Load the ten steps of SOP 5.1 and the follow-up cadences (admins edit them afterwards)."""

from django.db import migrations

from visitflow.visits.playbook_data import FOLLOW_UP_DAYS, STEPS


def load(apps, schema_editor):
    PlaybookStep = apps.get_model("visits", "PlaybookStep")
    PlaybookItem = apps.get_model("visits", "PlaybookItem")
    CustomerLevel = apps.get_model("customers", "CustomerLevel")
    FollowUpCadence = apps.get_model("visits", "FollowUpCadence")
    for position, row in enumerate(STEPS, start=1):
        code, name, name_en, anchor, offset, condition, guidance, guidance_en, items = row
        step, created = PlaybookStep.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "anchor": anchor,
                "offset_minutes": offset,
                "condition": condition,
                "guidance": guidance,
                "guidance_en": guidance_en,
                "position": position * 10,
            },
        )
        if created:
            for item_position, (text, text_en, item_condition) in enumerate(items, start=1):
                PlaybookItem.objects.create(
                    step=step,
                    text=text,
                    text_en=text_en,
                    condition=item_condition,
                    position=item_position * 10,
                )
    for code, days in FOLLOW_UP_DAYS.items():
        level = CustomerLevel.objects.filter(code=code).first()
        if level is not None:
            FollowUpCadence.objects.get_or_create(level=level, defaults={"days": days})


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0001_initial"),
        ("customers", "0002_default_levels"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
