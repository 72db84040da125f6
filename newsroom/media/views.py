"""Serving a private file to whoever holds a valid signed address (the local-disk setup).

The signature is the permission: it is only handed out on pages that checked who may see the
file (the admin, the desk's previews, share links), and it expires after
``NEWSROOM_SIGNED_MEDIA_SECONDS``. On S3 the presigned URL plays the same part.
"""

import mimetypes

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from newsroom.media import private_storage
from newsroom.media.signing import unsign

# Only the image formats uploads are re-encoded to are served; anything else is not ours.
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
CONTENT_TYPES[".webp"] = "image/webp"


@require_safe
def private_file(request, token: str, filename: str):
    name = unsign(token)
    if name is None:
        raise Http404("This media address is not valid (it may have expired).")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0]
    if content_type not in CONTENT_TYPES.values():
        raise Http404("Not a media file.")
    storage = private_storage()
    try:
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=content_type)
    # Editors' copies: never kept by a shared cache, never sniffed into something else.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Robots-Tag"] = "noindex"
    return response
