/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Security contexts and credentials.  The CredSSP state machine is not
 * built yet: every entry point fails cleanly with GSS_S_UNAVAILABLE and
 * CREDSSP_ERR_NOT_IMPLEMENTED, and leaves its outputs empty.
 */
#include "config.h"

#include "mech/mech.h"

static OM_uint32 not_implemented(OM_uint32 *minor_status);

static OM_uint32
not_implemented(OM_uint32 *minor_status)
{
    if (minor_status != NULL) {
        *minor_status = CREDSSP_ERR(CREDSSP_ERR_NOT_IMPLEMENTED);
    }
    return GSS_S_UNAVAILABLE;
}

OM_uint32
credssp_acquire_cred(OM_uint32 *minor_status, gss_name_t desired_name,
                     OM_uint32 time_req, gss_OID_set desired_mechs,
                     gss_cred_usage_t cred_usage,
                     gss_cred_id_t *output_cred_handle,
                     gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    (void)desired_name;
    (void)time_req;
    (void)desired_mechs;
    (void)cred_usage;
    if (output_cred_handle != NULL) {
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
    }
    if (actual_mechs != NULL) {
        *actual_mechs = GSS_C_NO_OID_SET;
    }
    if (time_rec != NULL) {
        *time_rec = 0;
    }
    return not_implemented(minor_status);
}

OM_uint32
credssp_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle)
{
    if (minor_status != NULL) {
        *minor_status = 0;
    }
    if (cred_handle != NULL) {
        *cred_handle = GSS_C_NO_CREDENTIAL;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
credssp_init_sec_context(OM_uint32 *minor_status,
                         gss_cred_id_t claimant_cred_handle,
                         gss_ctx_id_t *context_handle, gss_name_t target_name,
                         gss_OID mech_type, OM_uint32 req_flags,
                         OM_uint32 time_req,
                         gss_channel_bindings_t input_chan_bindings,
                         gss_buffer_t input_token, gss_OID *actual_mech_type,
                         gss_buffer_t output_token, OM_uint32 *ret_flags,
                         OM_uint32 *time_rec)
{
    (void)claimant_cred_handle;
    (void)target_name;
    (void)mech_type;
    (void)req_flags;
    (void)time_req;
    (void)input_chan_bindings;
    (void)input_token;
    if (context_handle != NULL) {
        *context_handle = GSS_C_NO_CONTEXT;
    }
    if (actual_mech_type != NULL) {
        *actual_mech_type = GSS_C_NO_OID;
    }
    if (output_token != GSS_C_NO_BUFFER) {
        output_token->length = 0;
        output_token->value = NULL;
    }
    if (ret_flags != NULL) {
        *ret_flags = 0;
    }
    if (time_rec != NULL) {
        *time_rec = 0;
    }
    return not_implemented(minor_status);
}

OM_uint32
credssp_accept_sec_context(OM_uint32 *minor_status,
                           gss_ctx_id_t *context_handle,
                           gss_cred_id_t acceptor_cred_handle,
                           gss_buffer_t input_token,
                           gss_channel_bindings_t input_chan_bindings,
                           gss_name_t *src_name, gss_OID *mech_type,
                           gss_buffer_t output_token, OM_uint32 *ret_flags,
                           OM_uint32 *time_rec,
                           gss_cred_id_t *delegated_cred_handle)
{
    (void)acceptor_cred_handle;
    (void)input_token;
    (void)input_chan_bindings;
    if (context_handle != NULL) {
        *context_handle = GSS_C_NO_CONTEXT;
    }
    if (src_name != NULL) {
        *src_name = GSS_C_NO_NAME;
    }
    if (mech_type != NULL) {
        *mech_type = GSS_C_NO_OID;
    }
    if (output_token != GSS_C_NO_BUFFER) {
        output_token->length = 0;
        output_token->value = NULL;
    }
    if (ret_flags != NULL) {
        *ret_flags = 0;
    }
    if (time_rec != NULL) {
        *time_rec = 0;
    }
    if (delegated_cred_handle != NULL) {
        *delegated_cred_handle = GSS_C_NO_CREDENTIAL;
    }
    return not_implemented(minor_status);
}

OM_uint32
credssp_delete_sec_context(OM_uint32 *minor_status,
                           gss_ctx_id_t *context_handle,
                           gss_buffer_t output_token)
{
    if (minor_status != NULL) {
        *minor_status = 0;
    }
    if (output_token != GSS_C_NO_BUFFER) {
        output_token->length = 0;
        output_token->value = NULL;
    }
    if (context_handle != NULL) {
        *context_handle = GSS_C_NO_CONTEXT;
    }
    return GSS_S_COMPLETE;
}
