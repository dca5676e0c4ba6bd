-- Items in a language the models never learned ("other") are not scored: their prediction row
-- records that the model saw them (so they are not picked up again) with no sentiment.
ALTER TABLE predictions ALTER COLUMN sentiment DROP NOT NULL;
ALTER TABLE predictions ALTER COLUMN sentiment_score DROP NOT NULL;
