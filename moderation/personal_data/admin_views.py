"""Moderation → Personal data: export or erase everything about one address, and
the record of every export and erasure made (without the addresses)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.widgets import HeaderButton

from ..admin_doors import ReadOnlyViewSet
from ..permissions import MANAGE_PERSONAL_DATA
from . import records
from .forms import EraseForm
from .models import PersonalDataAction

ADMIN = PersonalDataAction.Source.ADMIN


class FindForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email address"),
        max_length=254,
        help_text=gettext_lazy(
            "Everything stored about this address is found, whatever its case."
        ),
    )


class AdminEraseForm(FindForm, EraseForm):
    email = forms.EmailField(widget=forms.HiddenInput)


class PersonalDataIndexView(IndexView):
    @property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Export or erase an address"),
                url=reverse("moderation_personal_data:find"),
                icon_name="search",
            )
        ]


class FindView(WagtailAdminTemplateMixin, FormView):
    """Find an address, see what is stored, then export it or erase it. The
    address travels in POST bodies only, never in a URL (URLs end up in logs)."""

    template_name = "moderation/personal_data/admin/find.html"
    form_class = FindForm
    page_title = gettext_lazy("Personal data")
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(MANAGE_PERSONAL_DATA):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {
                "url": reverse("moderation_personal_data:index"),
                "label": _("Personal data"),
            },
            {"url": "", "label": _("Export or erase an address")},
        ]

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "export":
            return self.export()
        if action == "erase":
            return self.erase()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        return self.render_to_response(
            self.get_context_data(
                form=form,
                email=email,
                summary=records.Found.search(email).summary(),
                erase_form=AdminEraseForm(initial={"email": email}),
            )
        )

    def export(self):
        form = FindForm(self.request.POST)
        if not form.is_valid():
            return self.form_invalid(form)
        document = records.export(
            form.cleaned_data["email"], source=ADMIN, user=self.request.user
        )
        response = HttpResponse(
            records.as_json(document), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="personal-data.json"'
        return response

    def erase(self):
        erase_form = AdminEraseForm(self.request.POST)
        if not erase_form.is_valid():
            email = erase_form.data.get("email", "")
            form = FindForm({"email": email})
            if not form.is_valid():
                return self.form_invalid(form)
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    email=form.cleaned_data["email"],
                    summary=records.Found.search(email).summary(),
                    erase_form=erase_form,
                )
            )
        action = records.erase(
            erase_form.cleaned_data["email"],
            comments=erase_form.cleaned_data["comments"],
            source=ADMIN,
            user=self.request.user,
        )
        messages.success(
            self.request,
            ngettext(
                "Erased %(count)s record. The address is no longer stored anywhere.",
                "Erased %(count)s records. The address is no longer stored anywhere.",
                action.total,
            )
            % {"count": action.total},
        )
        return redirect("moderation_personal_data:index")


class PersonalDataViewSet(ReadOnlyViewSet):
    model = PersonalDataAction
    name = "moderation_personal_data"
    url_prefix = "moderation/personal-data"
    icon = "user"
    menu_label = gettext_lazy("Personal data")
    menu_order = 800
    index_view_class = PersonalDataIndexView
    inspect_view_enabled = False
    list_display = [
        Column("kind", label=gettext_lazy("What"), accessor="get_kind_display"),
        Column("source", label=gettext_lazy("Asked by"), accessor="get_source_display"),
        "user",
        Column("total", label=gettext_lazy("Records")),
        DateColumn("created_at", label=gettext_lazy("When")),
    ]
    list_filter = ["kind", "source"]
    ordering = ["-created_at"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("find/", FindView.as_view(), name="find"),
        ]
