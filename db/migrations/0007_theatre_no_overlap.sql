-- Two live bookings of one theatre never overlap, turnover included: enforced by PostgreSQL itself.
-- btree_gist supplies the equality operator class that lets theatre_id share a GiST index with the
-- time range; it is a trusted extension (PostgreSQL 13+), creatable without superuser rights.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "theatre_bookings" ADD CONSTRAINT "theatre_bookings_no_overlap"
  EXCLUDE USING gist ("theatre_id" WITH =, tstzrange("starts_at", "turnover_ends_at", '[)') WITH &&)
  WHERE ("status" = 'booked');
--> statement-breakpoint
ALTER TABLE "theatre_bookings" ADD CONSTRAINT "theatre_bookings_times_ck" CHECK ("starts_at" < "ends_at" AND "ends_at" <= "turnover_ends_at");
