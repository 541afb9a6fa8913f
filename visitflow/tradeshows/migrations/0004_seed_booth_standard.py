"""The booth standard as SOP 5.3.2 lists it (展会现场应按公司《SI标准》布置…); admins
adjust quantities and add lines afterwards."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

# (group, Chinese, English, quantity, unit, gift from stock)
ITEMS = [
    ("display", "展示产品（按《SI标准》）", "Product displays (booth standard)", 1, "套", False),
    ("display", "宣传海报", "Posters", 4, "张", False),
    ("office", "电脑", "Computers", 2, "台", False),
    ("office", "桌子", "Tables", 2, "张", False),
    ("office", "椅子", "Chairs", 6, "把", False),
    ("office", "纸", "Paper", 2, "包", False),
    ("office", "笔", "Pens", 20, "支", False),
    ("takeaway", "产品画册", "Product albums", 200, "本", False),
    ("takeaway", "宣传折页", "Leaflets", 500, "份", False),
    ("takeaway", "纪念品", "Gifts", 100, "份", True),
    ("takeaway", "手提袋", "Bags", 300, "个", False),
    ("hospitality", "饮水机", "Water dispenser", 1, "台", False),
    ("hospitality", "茶具", "Tea set", 1, "套", False),
    ("hospitality", "茶叶", "Tea", 2, "盒", False),
    ("hospitality", "咖啡", "Coffee", 2, "盒", False),
    ("hospitality", "矿泉水", "Bottled water", 10, "箱", False),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    item_model = apps.get_model("tradeshows", "ChecklistTemplateItem")
    for position, (category, name, name_en, quantity, unit, is_gift) in enumerate(ITEMS):
        item_model.objects.get_or_create(
            name=name,
            defaults={
                "category": category,
                "name_en": name_en,
                "quantity": quantity,
                "unit": unit,
                "position": position,
                "is_gift": is_gift,
            },
        )


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    item_model = apps.get_model("tradeshows", "ChecklistTemplateItem")
    item_model.objects.filter(name__in=[row[1] for row in ITEMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("tradeshows", "0003_booth_checklist")]

    operations = [migrations.RunPython(seed, unseed)]
