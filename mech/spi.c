/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The mechglue SPI export shim.  The only file that defines gss_* names;
 * each one forwards, unchanged, to the credssp_* function of the same
 * meaning.  No logic lives here (STYLE.md 4.1).  The exported list is
 * mech/credssp.map.
 */
#include "config.h"

#include "mech/mech.h"

#define CREDSSP_EXPORT __attribute__((visibility("default")))

CREDSSP_EXPORT OM_uint32
gss_acquire_cred(OM_uint32 *minor_status, gss_name_t desired_name,
                 OM_uint32 time_req, gss_OID_set desired_mechs,
                 gss_cred_usage_t cred_usage,
                 gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                 OM_uint32 *time_rec)
{
    return credssp_acquire_cred(minor_status, desired_name, time_req,
                                desired_mechs, cred_usage, output_cred_handle,
                                actual_mechs, time_rec);
}

CREDSSP_EXPORT OM_uint32
gss_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle)
{
    return credssp_release_cred(minor_status, cred_handle);
}

CREDSSP_EXPORT OM_uint32
gss_init_sec_context(OM_uint32 *minor_status,
                     gss_cred_id_t claimant_cred_handle,
                     gss_ctx_id_t *context_handle, gss_name_t target_name,
                     gss_OID mech_type, OM_uint32 req_flags,
                     OM_uint32 time_req,
                     gss_channel_bindings_t input_chan_bindings,
                     gss_buffer_t input_token, gss_OID *actual_mech_type,
                     gss_buffer_t output_token, OM_uint32 *ret_flags,
                     OM_uint32 *time_rec)
{
    return credssp_init_sec_context(
        minor_status, claimant_cred_handle, context_handle, target_name,
        mech_type, req_flags, time_req, input_chan_bindings, input_token,
        actual_mech_type, output_token, ret_flags, time_rec);
}

CREDSSP_EXPORT OM_uint32
gss_accept_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_cred_id_t acceptor_cred_handle,
                       gss_buffer_t input_token,
                       gss_channel_bindings_t input_chan_bindings,
                       gss_name_t *src_name, gss_OID *mech_type,
                       gss_buffer_t output_token, OM_uint32 *ret_flags,
                       OM_uint32 *time_rec,
                       gss_cred_id_t *delegated_cred_handle)
{
    return credssp_accept_sec_context(
        minor_status, context_handle, acceptor_cred_handle, input_token,
        input_chan_bindings, src_name, mech_type, output_token, ret_flags,
        time_rec, delegated_cred_handle);
}

CREDSSP_EXPORT OM_uint32
gss_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_buffer_t output_token)
{
    return credssp_delete_sec_context(minor_status, context_handle,
                                      output_token);
}

CREDSSP_EXPORT OM_uint32
gss_display_status(OM_uint32 *minor_status, OM_uint32 status_value,
                   int status_type, gss_OID mech_type,
                   OM_uint32 *message_context, gss_buffer_t status_string)
{
    return credssp_display_status(minor_status, status_value, status_type,
                                  mech_type, message_context, status_string);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_attrs_for_mech(OM_uint32 *minor_status, gss_const_OID mech,
                           gss_OID_set *mech_attrs,
                           gss_OID_set *known_mech_attrs)
{
    return credssp_inquire_attrs_for_mech(minor_status, mech, mech_attrs,
                                          known_mech_attrs);
}

CREDSSP_EXPORT OM_uint32
gss_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid)
{
    return credssp_internal_release_oid(minor_status, oid);
}
