from django.urls import include, path

from offramp.api.core import audited_urls, unknown_path
from offramp.api.service import api
from offramp.ops import views as ops_views
from offramp.web import views as web_views

handler500 = "offramp.web.views.server_error"

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("api/v1/", audited_urls(api)),
    path("api/<path:rest>", unknown_path),
    path("accounts/", include("allauth.urls")),
    path("", include("offramp.referrals.urls")),
    path("", include("offramp.cases.urls")),
    path("", include("offramp.people.urls")),
    path("", include("offramp.accounts.urls")),
    path("", include("offramp.privacy.urls")),
    path("", include("offramp.jobs.urls")),
    path("", include("offramp.web.urls")),
    path("", include("offramp.analysis.urls")),
    path("", include("offramp.demo.urls")),
    path("", include("offramp.notifications.urls")),
    path("", include("offramp.directory.urls")),
    path("", include("offramp.workgroup.urls")),
    path("", include("offramp.transitions.urls")),
    path("", include("offramp.api.urls")),
    path("", include("offramp.hmis.urls")),
    path("", include("offramp.bulk.urls")),
    path("", include("offramp.reports.urls")),
    path("", include("offramp.planning.urls")),
    path("", include("offramp.legal.urls")),
    path("", include("offramp.sites.urls")),
    path("", include("offramp.documents.urls")),
    path("", include("offramp.retention.urls")),
]
