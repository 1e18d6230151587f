from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from workplace.models import Audience, Department, Employee, WorkSite

PASSWORD = "Correct-Horse-42"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"Dienst {n}")


class WorkSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkSite
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Depot {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    personnel_number = factory.Sequence(lambda n: f"{500000 + n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    email = factory.LazyAttribute(lambda e: f"{e.username}@stad.gent")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # The role groups come from a data migration, which a transactional test flushes.
            self.groups.add(
                *(Group.objects.get_or_create(name=role.value)[0] for role in extracted)
            )


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
