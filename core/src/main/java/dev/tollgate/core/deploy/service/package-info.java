/**
 * The deploy services: what a user can do with deploys, one call each, for the runner, the control
 * plane and embedding services alike. {@link dev.tollgate.core.deploy.service.DeployService}
 * deploys and rolls back, {@link dev.tollgate.core.deploy.service.ChangeService} opens, approves
 * and rejects change requests, {@link dev.tollgate.core.deploy.service.PromotionService} proposes,
 * approves, lists and executes promotions, and {@link dev.tollgate.core.deploy.service.LockService}
 * holds and releases environments and lists locks and releases.
 *
 * <p>Each service works on a {@link dev.tollgate.core.deploy.service.DeployProject} (the checkout
 * and its deploy specs) and a {@link dev.tollgate.core.deploy.service.DeployBackend} (the
 * database), takes an injected {@link java.time.Clock}, and returns records; a front end parses its
 * input, calls one method and renders the result. Input that names something that does not exist is
 * a {@link dev.tollgate.core.deploy.service.DeployInputException} saying which input, so each front
 * end can word it in its own terms.
 */
package dev.tollgate.core.deploy.service;
