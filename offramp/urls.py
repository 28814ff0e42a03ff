from django.urls import include, path

from offramp.web import views as web_views

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", web_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("offramp.referrals.urls")),
    path("", include("offramp.cases.urls")),
    path("", include("offramp.people.urls")),
    path("", include("offramp.accounts.urls")),
    path("", include("offramp.access.urls")),
    path("", include("offramp.jobs.urls")),
    path("", include("offramp.web.urls")),
    path("", include("offramp.analysis.urls")),
    path("", include("offramp.demo.urls")),
    path("", include("offramp.notifications.urls")),
    path("", include("offramp.directory.urls")),
    path("", include("offramp.workgroup.urls")),
    path("", include("offramp.transitions.urls")),
]
