import factory

from visitflow.customers.models import Contact, Customer, CustomerLevel


def level(code: str = "A") -> CustomerLevel:
    return CustomerLevel.objects.get(code=code)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"测试客户{n}有限公司")
    level = factory.LazyFunction(lambda: CustomerLevel.objects.get(code="A"))
    city = "深圳"
    region = "广东"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"联系人{n}")
    mobile = factory.Sequence(lambda n: f"+86138{n:08d}")
