from django.urls import path

from newsroom.monitoring import health, views

app_name = "monitoring"

urlpatterns = [
    path("health/", health.health, name="health"),
    path("metrics", views.metrics, name="metrics"),
]
