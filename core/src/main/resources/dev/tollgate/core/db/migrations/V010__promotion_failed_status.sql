-- Tollgate deploys: a promotion whose deploy was not undone ends 'failed'.
-- Until now every deploy that recorded a release and did not exit 0 left its promotion
-- 'rolled_back', also when the rollback itself failed and the environment stayed held. The
-- promotion's status may now also be 'failed' (the rollback failed or could not run, or the deploy
-- could not finish). Promotions already stored keep their status.
ALTER TABLE ${schema}.promotions DROP CONSTRAINT promotions_status_check;
ALTER TABLE ${schema}.promotions ADD CONSTRAINT promotions_status_check
  CHECK (status IN ('pending', 'approved', 'executing', 'deployed', 'rolled_back', 'failed'));
