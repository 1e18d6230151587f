"""Employees, their departments and their work sites."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from workplace.files import RandomName
from workplace.text import word_key

code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,19}$",
    _("Use 1 to 20 capital letters, digits or hyphens."),
)


class DepartmentKind(models.TextChoices):
    DEPARTEMENT = "departement", _("Department")
    DIENST = "dienst", _("Service")
    TEAM = "team", _("Team")


class Department(models.Model):
    """A node of the organisation chart: departement → dienst → team.

    ``path`` is the materialised chain of ancestor ids (``/3/17/42/``), kept by
    ``save()``, so that a whole subtree is one indexed ``startswith`` query.
    """

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.DIENST
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, editable=False, related_name="department"
    )
    manager = models.ForeignKey(
        "workplace.Employee",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_departments",
    )
    description = models.TextField(_("description"), blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Keep the department's own group and its place in the tree up to date."""
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValueError("A department cannot be its own parent.")
        if self.group_id is None:
            self.group, _created = Group.objects.get_or_create(name=self.group_name)
        elif self.group.name != self.group_name:
            self.group.name = self.group_name
            self.group.save(update_fields=["name"])
        super().save(*args, **kwargs)
        self._update_path()

    def get_absolute_url(self) -> str:
        return reverse("department", args=[self.code])

    def _update_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path == self.path:
            return
        old_path = self.path
        self.path, self.depth = new_path, new_path.count("/") - 2
        Department.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
        if old_path:
            # A move: every department below follows, and so do their members' groups.
            for child in Department.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = new_path + child.path[len(old_path) :]
                child.depth = child.path.count("/") - 2
                Department.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)
            from workplace.groups import sync_department_groups

            for employee in Employee.objects.filter(department__path__startswith=new_path):
                sync_department_groups(employee)

    @property
    def group_name(self) -> str:
        return f"afdeling:{self.code}"

    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this department itself."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def ancestors(self) -> models.QuerySet[Department]:
        return Department.objects.filter(id__in=self.ancestor_ids()[:-1]).order_by("depth")

    def subtree(self) -> models.QuerySet[Department]:
        """This department and every department below it."""
        return Department.objects.filter(path__startswith=self.path)

    def is_within(self, other: Department) -> bool:
        return self.path.startswith(other.path)


class WorkSite(models.Model):
    """A place where people work: an office building, a depot, a workshop."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("work site")
        verbose_name_plural = _("work sites")

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class EmployeeManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


class Employee(AbstractUser):
    """Everyone who works for Stad Gent or OCMW Gent.

    Many field workers have no work e-mail: ``email`` is optional, and the mobile
    number is shown only when the employee opts in. A personal e-mail address is a
    delivery choice (``notifications.DeliveryProfile``, confirmed by a link).
    """

    personnel_number = models.CharField(
        _("personnel number"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z]{3,20}$", _("Use 3 to 20 letters or digits."))],
    )
    email = models.EmailField(_("work e-mail"), blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
    mobile_opt_in = models.BooleanField(_("show my mobile number to colleagues"), default=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="employees",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    site = models.ForeignKey(
        WorkSite,
        verbose_name=_("work site"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employees",
    )
    is_field_worker = models.BooleanField(_("field worker"), default=False)
    # HR's shift pattern ("ma-vr 07:00-15:30", workplace.shifts): the working hours that
    # notifications respect, unless the employee set their own.
    shift_pattern = models.CharField(_("shift pattern"), max_length=60, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.DUTCH
    )
    # Re-encoded without metadata, under a random name, served by the "avatar" view only.
    avatar = models.ImageField(_("photo"), upload_to=RandomName("avatars"), blank=True)
    pin = models.CharField(_("terminal PIN"), max_length=128, blank=True, editable=False)
    # The folded words of the name (" oznur ozturk "), kept by save(): the directory
    # matches names without accents the same way on SQLite and PostgreSQL.
    name_key = models.CharField(max_length=320, blank=True, editable=False, default="")

    objects = EmployeeManager()

    REQUIRED_FIELDS = ["personnel_number", "email"]

    # Not a field: other modules may greet a newly saved employee (the streams
    # welcome them in their department) unless whoever creates them sets this
    # to False, as the first import of the whole staff list does.
    announce_arrival = True

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.remember_loaded_state()
        return instance

    def remember_loaded_state(self) -> None:
        """Note what the signal handlers compare against after the next save."""
        self._loaded_state = {
            "department_id": self.__dict__.get("department_id"),
            "is_active": self.__dict__.get("is_active"),
            "is_staff": self.__dict__.get("is_staff"),
            "is_superuser": self.__dict__.get("is_superuser"),
            "password": self.__dict__.get("password"),
        }

    def save(self, *args, **kwargs) -> None:
        self.name_key = word_key(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("profile", args=[self.username])

    @property
    def avatar_url(self) -> str:
        """The photo's view; the query changes with the photo so browsers fetch a new one."""
        if not self.avatar:
            return ""
        version = PurePath(self.avatar.name).stem[-8:]
        return f"{reverse('avatar', args=[self.username])}?v={version}"

    @property
    def initials(self) -> str:
        letters = (self.first_name[:1] + self.last_name[:1]) or self.username[:2]
        return letters.upper()

    @property
    def has_pin(self) -> bool:
        return bool(self.pin)

    def set_pin(self, raw_pin: str) -> None:
        from django.contrib.auth.hashers import make_password

        self.pin = make_password(raw_pin)

    def check_pin(self, raw_pin: str) -> bool:
        from django.contrib.auth.hashers import check_password

        return bool(self.pin) and check_password(raw_pin, self.pin)
