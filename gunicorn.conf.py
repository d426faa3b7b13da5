"""gunicorn's settings for this application: gunicorn reads ``./gunicorn.conf.py`` by itself
when started from this folder (README, « Déployer »; ``make bench``).

Once a worker has loaded the application, its long-lived objects (modules, SQLAlchemy's
mappers, the method and charter templates: about 380,000 of them) are set aside from the
garbage collector (``gc.freeze``). Otherwise every full collection walks them all again:
12 ms added on average to the requests that allocate the most (the consolidated plan of an
experiment), against under 1 ms once frozen.
"""
import gc


def post_worker_init(worker) -> None:
    gc.freeze()
