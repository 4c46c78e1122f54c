package io.mxcutover.appliance.store;

import io.mxcutover.appliance.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request the state store could not carry out (disk full, file locked or damaged) gets {@code 503} with
 * what failed, not a bare {@code 500}: nothing was changed (the store writes a change in one transaction,
 * or not at all) and the admin can retry once the health check {@code store} is green again.
 */
public final class StoreExceptionMapper implements ExceptionMapper<StoreException> {
    private static final Logger LOG = LoggerFactory.getLogger(StoreExceptionMapper.class);

    @Override
    public Response toResponse(StoreException e) {
        LOG.error("{}", e.getMessage(), e);
        return Response.status(503)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .header("Retry-After", "60")
                .entity(
                        new ApiError(
                                e.getMessage(),
                                List.of(
                                        "nothing was changed; see the health check 'store' on the admin port, fix it and retry")))
                .build();
    }
}
