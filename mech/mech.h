/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Internal umbrella header of the plugin: the credssp_* functions that
 * mech/spi.c forwards the mechglue SPI to, and the GSS-level error helpers.
 */
#ifndef CREDSSP_MECH_MECH_H
#define CREDSSP_MECH_MECH_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include <gssapi/gssapi_credssp.h>

#include "common/err.h"

/* err.c: the GSS major an error code maps to (GSS_S_FAILURE for errno
 * values), and gss_display_status for our minor codes. */
OM_uint32 credssp_err_major(int code);

OM_uint32 credssp_display_status(OM_uint32 *minor_status,
                                 OM_uint32 status_value, int status_type,
                                 gss_OID mech_type,
                                 OM_uint32 *message_context,
                                 gss_buffer_t status_string);

/* cred.c */
OM_uint32 credssp_acquire_cred(OM_uint32 *minor_status,
                               gss_name_t desired_name, OM_uint32 time_req,
                               gss_OID_set desired_mechs,
                               gss_cred_usage_t cred_usage,
                               gss_cred_id_t *output_cred_handle,
                               gss_OID_set *actual_mechs,
                               OM_uint32 *time_rec);

OM_uint32 credssp_release_cred(OM_uint32 *minor_status,
                               gss_cred_id_t *cred_handle);

/* init.c, accept.c, ctx.c */
OM_uint32 credssp_init_sec_context(
    OM_uint32 *minor_status, gss_cred_id_t claimant_cred_handle,
    gss_ctx_id_t *context_handle, gss_name_t target_name, gss_OID mech_type,
    OM_uint32 req_flags, OM_uint32 time_req,
    gss_channel_bindings_t input_chan_bindings, gss_buffer_t input_token,
    gss_OID *actual_mech_type, gss_buffer_t output_token,
    OM_uint32 *ret_flags, OM_uint32 *time_rec);

OM_uint32 credssp_accept_sec_context(
    OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
    gss_cred_id_t acceptor_cred_handle, gss_buffer_t input_token,
    gss_channel_bindings_t input_chan_bindings, gss_name_t *src_name,
    gss_OID *mech_type, gss_buffer_t output_token, OM_uint32 *ret_flags,
    OM_uint32 *time_rec, gss_cred_id_t *delegated_cred_handle);

OM_uint32 credssp_delete_sec_context(OM_uint32 *minor_status,
                                     gss_ctx_id_t *context_handle,
                                     gss_buffer_t output_token);

/* inquire.c */
OM_uint32 credssp_inquire_attrs_for_mech(OM_uint32 *minor_status,
                                         gss_const_OID mech,
                                         gss_OID_set *mech_attrs,
                                         gss_OID_set *known_mech_attrs);

/* Exported by spi.c; the mechglue looks it up by name but no MIT header
 * declares it. */
OM_uint32 gss_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid);

OM_uint32 credssp_internal_release_oid(OM_uint32 *minor_status,
                                       gss_OID *oid);

#endif /* CREDSSP_MECH_MECH_H */
