"""Default customer-message wording (zh/en) and the leader-meeting matrix; admins edit both."""

from django.db import migrations

TEMPLATES = {
    ("pickup_car", "zh-hans"): (
        "{customer}您好！{date}的接站已安排：{escort}（电话 {escort_phone}）将乘车牌 {plate} 的车辆，"
        "于 {time} 在{station}{meeting_point}等候您。期待您的到来！{company}"
    ),
    ("pickup_car", "en"): (
        "Dear {customer}, we will meet you on {date}: {escort} (phone {escort_phone}) will wait for "
        "you at {station} {meeting_point} at {time} with the car {plate}. We look forward to your "
        "visit. {company}"
    ),
    ("see_off_car", "zh-hans"): (
        "{customer}您好！{date}送站已安排：{escort}（电话 {escort_phone}）将于 {time} 乘车牌 {plate} "
        "的车辆送您到{station}。出发前请清点随身物品。感谢您的来访！{company}"
    ),
    ("see_off_car", "en"): (
        "Dear {customer}, on {date} {escort} (phone {escort_phone}) will take you to {station} "
        "at {time} in the car {plate}. Please check your belongings before leaving. Thank you for "
        "your visit. {company}"
    ),
    ("see_off_no_car", "zh-hans"): (
        "{customer}您好！很抱歉{date}公司暂时无法安排车辆送站。到{station}的方式：{advice}。"
        "出发前请清点随身物品，如有需要请联系{escort}（电话 {escort_phone}）。{company}"
    ),
    ("see_off_no_car", "en"): (
        "Dear {customer}, we are sorry that no company car is free on {date}. To reach {station}: "
        "{advice}. Please check your belongings; call {escort} ({escort_phone}) if you need help. "
        "{company}"
    ),
    ("pickup_no_car", "zh-hans"): (
        "{customer}您好！很抱歉{date}公司暂时无法安排车辆接站。从{station}到公司的方式：{advice}。"
        "如有需要请随时联系{escort}（电话 {escort_phone}）。{company}"
    ),
    ("pickup_no_car", "en"): (
        "Dear {customer}, we are sorry that no company car is free on {date}. To come from "
        "{station}: {advice}. Call {escort} ({escort_phone}) at any time. {company}"
    ),
}

# customer level × visit importance → leader (SOP 5.1 领导接见: by level and importance)
LEADER_MATRIX = {
    "VIP": {"normal": "director", "important": "general_manager", "critical": "general_manager"},
    "A": {"normal": "none", "important": "director", "critical": "general_manager"},
    "B": {"normal": "none", "important": "none", "critical": "director"},
    "C": {"normal": "none", "important": "none", "critical": "director"},
}


def load(apps, schema_editor):
    MessageTemplate = apps.get_model("logistics", "MessageTemplate")
    LeaderRule = apps.get_model("logistics", "LeaderRule")
    CustomerLevel = apps.get_model("customers", "CustomerLevel")
    for (code, language), text in TEMPLATES.items():
        MessageTemplate.objects.get_or_create(code=code, language=language, defaults={"text": text})
    for code, row in LEADER_MATRIX.items():
        level = CustomerLevel.objects.filter(code=code).first()
        if level is None:
            continue
        for importance, leader in row.items():
            LeaderRule.objects.get_or_create(
                level=level, importance=importance, defaults={"leader": leader}
            )


class Migration(migrations.Migration):
    dependencies = [("logistics", "0002_no_double_booking"), ("customers", "0002_default_levels")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
