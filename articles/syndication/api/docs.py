"""The browsable API documentation: Swagger UI from our own static files, CSP-clean.

drf-spectacular's split view loads its start-up script from a URL instead of inline, and our
template drops the inline ``<style>``, so the page needs nothing beyond ``'self'`` in the CSP.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
