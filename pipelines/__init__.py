"""voc pipelines: plain Python for ingesting, preparing, classifying and ranking customer feedback.

Nothing here imports Prefect or decides where files live; `flows/` and the `voc` command do.
"""

CHANNELS = ("complaint_book", "social", "survey")
