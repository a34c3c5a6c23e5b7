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

OM_uint32 credssp_acquire_cred_from(
    OM_uint32 *minor_status, gss_name_t desired_name, OM_uint32 time_req,
    gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
    gss_const_key_value_set_t cred_store, gss_cred_id_t *output_cred_handle,
    gss_OID_set *actual_mechs, OM_uint32 *time_rec);

OM_uint32 credssp_acquire_cred_with_password(
    OM_uint32 *minor_status, const gss_name_t desired_name,
    const gss_buffer_t password, OM_uint32 time_req,
    const gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
    gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
    OM_uint32 *time_rec);

OM_uint32 credssp_release_cred(OM_uint32 *minor_status,
                               gss_cred_id_t *cred_handle);

OM_uint32 credssp_inquire_cred(OM_uint32 *minor_status,
                               gss_cred_id_t cred_handle, gss_name_t *name,
                               OM_uint32 *lifetime,
                               gss_cred_usage_t *cred_usage,
                               gss_OID_set *mechanisms);

/* store.c: a password credential as a Kerberos TGT in a ccache. */
OM_uint32 credssp_store_cred_into(OM_uint32 *minor_status,
                                  gss_cred_id_t input_cred_handle,
                                  gss_cred_usage_t input_usage,
                                  const gss_OID desired_mech,
                                  OM_uint32 overwrite_cred,
                                  OM_uint32 default_cred,
                                  gss_const_key_value_set_t cred_store,
                                  gss_OID_set *elements_stored,
                                  gss_cred_usage_t *cred_usage_stored);

OM_uint32 credssp_inquire_cred_by_oid(OM_uint32 *minor_status,
                                      const gss_cred_id_t cred_handle,
                                      const gss_OID desired_object,
                                      gss_buffer_set_t *data_set);

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

OM_uint32 credssp_inquire_context(OM_uint32 *minor_status,
                                  gss_ctx_id_t context_handle,
                                  gss_name_t *src_name, gss_name_t *targ_name,
                                  OM_uint32 *lifetime_rec,
                                  gss_OID *mech_type, OM_uint32 *ctx_flags,
                                  int *locally_initiated, int *open);

OM_uint32 credssp_context_time(OM_uint32 *minor_status,
                               gss_ctx_id_t context_handle,
                               OM_uint32 *time_rec);

/* wrap.c */
OM_uint32 credssp_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                       int conf_req_flag, gss_qop_t qop_req,
                       gss_buffer_t input_message_buffer, int *conf_state,
                       gss_buffer_t output_message_buffer);

OM_uint32 credssp_wrap_iov(OM_uint32 *minor_status,
                           gss_ctx_id_t context_handle, int conf_req_flag,
                           gss_qop_t qop_req, int *conf_state,
                           gss_iov_buffer_desc *iov, int iov_count);

OM_uint32 credssp_unwrap_iov(OM_uint32 *minor_status,
                             gss_ctx_id_t context_handle, int *conf_state,
                             gss_qop_t *qop_state, gss_iov_buffer_desc *iov,
                             int iov_count);

OM_uint32 credssp_wrap_iov_length(OM_uint32 *minor_status,
                                  gss_ctx_id_t context_handle,
                                  int conf_req_flag, gss_qop_t qop_req,
                                  int *conf_state, gss_iov_buffer_desc *iov,
                                  int iov_count);

OM_uint32 credssp_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                         gss_buffer_t input_message_buffer,
                         gss_buffer_t output_message_buffer, int *conf_state,
                         gss_qop_t *qop_state);

OM_uint32 credssp_wrap_size_limit(OM_uint32 *minor_status,
                                  gss_ctx_id_t context_handle,
                                  int conf_req_flag, gss_qop_t qop_req,
                                  OM_uint32 req_output_size,
                                  OM_uint32 *max_input_size);

OM_uint32 credssp_get_mic(OM_uint32 *minor_status,
                          gss_ctx_id_t context_handle, gss_qop_t qop_req,
                          gss_buffer_t message_buffer,
                          gss_buffer_t message_token);

OM_uint32 credssp_verify_mic(OM_uint32 *minor_status,
                             gss_ctx_id_t context_handle,
                             gss_buffer_t message_buffer,
                             gss_buffer_t token_buffer, gss_qop_t *qop_state);

OM_uint32 credssp_pseudo_random(OM_uint32 *minor_status,
                                gss_ctx_id_t context_handle, int prf_key,
                                const gss_buffer_t prf_in,
                                ssize_t desired_output_len,
                                gss_buffer_t prf_out);

/* name.c */
OM_uint32 credssp_import_name(OM_uint32 *minor_status,
                              gss_buffer_t input_name_buffer,
                              gss_OID input_name_type,
                              gss_name_t *output_name);

OM_uint32 credssp_display_name(OM_uint32 *minor_status, gss_name_t input_name,
                               gss_buffer_t output_name_buffer,
                               gss_OID *output_name_type);

OM_uint32 credssp_release_name(OM_uint32 *minor_status,
                               gss_name_t *input_name);

OM_uint32 credssp_duplicate_name(OM_uint32 *minor_status,
                                 const gss_name_t src_name,
                                 gss_name_t *dest_name);

OM_uint32 credssp_compare_name(OM_uint32 *minor_status, gss_name_t name1,
                               gss_name_t name2, int *name_equal);

OM_uint32 credssp_inquire_name(OM_uint32 *minor_status, gss_name_t input_name,
                               int *name_is_MN, gss_OID *MN_mech,
                               gss_buffer_set_t *attrs);

OM_uint32 credssp_localname(OM_uint32 *minor_status, const gss_name_t pname,
                            gss_const_OID mech_type,
                            gss_buffer_t localname);

OM_uint32 credssp_inquire_names_for_mech(OM_uint32 *minor_status,
                                         gss_OID mechanism,
                                         gss_OID_set *name_types);

/* inquire.c */
OM_uint32 credssp_inquire_attrs_for_mech(OM_uint32 *minor_status,
                                         gss_const_OID mech,
                                         gss_OID_set *mech_attrs,
                                         gss_OID_set *known_mech_attrs);

OM_uint32 credssp_inquire_saslname_for_mech(OM_uint32 *minor_status,
                                            const gss_OID desired_mech,
                                            gss_buffer_t sasl_mech_name,
                                            gss_buffer_t mech_name,
                                            gss_buffer_t mech_description);

OM_uint32 credssp_inquire_mech_for_saslname(OM_uint32 *minor_status,
                                            const gss_buffer_t sasl_mech_name,
                                            gss_OID *mech_type);

OM_uint32 credssp_inquire_sec_context_by_oid(OM_uint32 *minor_status,
                                             const gss_ctx_id_t context_handle,
                                             const gss_OID desired_object,
                                             gss_buffer_set_t *data_set);

OM_uint32 credssp_inquire_cred_by_mech(OM_uint32 *minor_status,
                                       gss_cred_id_t cred_handle,
                                       gss_OID mech_type, gss_name_t *name,
                                       OM_uint32 *initiator_lifetime,
                                       OM_uint32 *acceptor_lifetime,
                                       gss_cred_usage_t *cred_usage);

/* Exported by spi.c; the mechglue looks them up by name but no MIT header
 * declares them. */
OM_uint32 gss_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid);
OM_uint32 gssspi_acquire_cred_with_password(
    OM_uint32 *minor_status, const gss_name_t desired_name,
    const gss_buffer_t password, OM_uint32 time_req,
    const gss_OID_set desired_mechs, gss_cred_usage_t cred_usage,
    gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
    OM_uint32 *time_rec);

OM_uint32 credssp_internal_release_oid(OM_uint32 *minor_status,
                                       gss_OID *oid);

#endif /* CREDSSP_MECH_MECH_H */
