/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * The mechglue SPI export shim.  The only file that defines gss_* names;
 * each one forwards, unchanged, to the credssp_* function of the same
 * meaning.  No logic lives here (STYLE.md 4.1).  The exported list is
 * mech/credssp.map; tests/exports.sh keeps the two equal.
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
gss_acquire_cred_from(OM_uint32 *minor_status, gss_name_t desired_name,
                      OM_uint32 time_req, gss_OID_set desired_mechs,
                      gss_cred_usage_t cred_usage,
                      gss_const_key_value_set_t cred_store,
                      gss_cred_id_t *output_cred_handle,
                      gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    return credssp_acquire_cred_from(minor_status, desired_name, time_req,
                                     desired_mechs, cred_usage, cred_store,
                                     output_cred_handle, actual_mechs,
                                     time_rec);
}

CREDSSP_EXPORT OM_uint32
gssspi_acquire_cred_with_password(OM_uint32 *minor_status,
                                  const gss_name_t desired_name,
                                  const gss_buffer_t password,
                                  OM_uint32 time_req,
                                  const gss_OID_set desired_mechs,
                                  gss_cred_usage_t cred_usage,
                                  gss_cred_id_t *output_cred_handle,
                                  gss_OID_set *actual_mechs,
                                  OM_uint32 *time_rec)
{
    return credssp_acquire_cred_with_password(minor_status, desired_name,
                                              password, time_req,
                                              desired_mechs, cred_usage,
                                              output_cred_handle, actual_mechs,
                                              time_rec);
}

CREDSSP_EXPORT OM_uint32
gss_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle)
{
    return credssp_release_cred(minor_status, cred_handle);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_cred(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                 gss_name_t *name, OM_uint32 *lifetime,
                 gss_cred_usage_t *cred_usage, gss_OID_set *mechanisms)
{
    return credssp_inquire_cred(minor_status, cred_handle, name, lifetime,
                                cred_usage, mechanisms);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_cred_by_oid(OM_uint32 *minor_status,
                        const gss_cred_id_t cred_handle,
                        const gss_OID desired_object,
                        gss_buffer_set_t *data_set)
{
    return credssp_inquire_cred_by_oid(minor_status, cred_handle,
                                       desired_object, data_set);
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
    return credssp_init_sec_context(minor_status, claimant_cred_handle,
                                    context_handle, target_name, mech_type,
                                    req_flags, time_req, input_chan_bindings,
                                    input_token, actual_mech_type,
                                    output_token, ret_flags, time_rec);
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
    return credssp_accept_sec_context(minor_status, context_handle,
                                      acceptor_cred_handle, input_token,
                                      input_chan_bindings, src_name, mech_type,
                                      output_token, ret_flags, time_rec,
                                      delegated_cred_handle);
}

CREDSSP_EXPORT OM_uint32
gss_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_buffer_t output_token)
{
    return credssp_delete_sec_context(minor_status, context_handle,
                                      output_token);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_context(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                    gss_name_t *src_name, gss_name_t *targ_name,
                    OM_uint32 *lifetime_rec, gss_OID *mech_type,
                    OM_uint32 *ctx_flags, int *locally_initiated, int *open)
{
    return credssp_inquire_context(minor_status, context_handle, src_name,
                                   targ_name, lifetime_rec, mech_type,
                                   ctx_flags, locally_initiated, open);
}

CREDSSP_EXPORT OM_uint32
gss_context_time(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                 OM_uint32 *time_rec)
{
    return credssp_context_time(minor_status, context_handle, time_rec);
}

CREDSSP_EXPORT OM_uint32
gss_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
         int conf_req_flag, gss_qop_t qop_req,
         gss_buffer_t input_message_buffer, int *conf_state,
         gss_buffer_t output_message_buffer)
{
    return credssp_wrap(minor_status, context_handle, conf_req_flag, qop_req,
                        input_message_buffer, conf_state,
                        output_message_buffer);
}

CREDSSP_EXPORT OM_uint32
gss_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
           gss_buffer_t input_message_buffer,
           gss_buffer_t output_message_buffer, int *conf_state,
           gss_qop_t *qop_state)
{
    return credssp_unwrap(minor_status, context_handle, input_message_buffer,
                          output_message_buffer, conf_state, qop_state);
}

CREDSSP_EXPORT OM_uint32
gss_wrap_size_limit(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                    int conf_req_flag, gss_qop_t qop_req,
                    OM_uint32 req_output_size, OM_uint32 *max_input_size)
{
    return credssp_wrap_size_limit(minor_status, context_handle, conf_req_flag,
                                   qop_req, req_output_size, max_input_size);
}

CREDSSP_EXPORT OM_uint32
gss_get_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
            gss_qop_t qop_req, gss_buffer_t message_buffer,
            gss_buffer_t message_token)
{
    return credssp_get_mic(minor_status, context_handle, qop_req,
                           message_buffer, message_token);
}

CREDSSP_EXPORT OM_uint32
gss_verify_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
               gss_buffer_t message_buffer, gss_buffer_t token_buffer,
               gss_qop_t *qop_state)
{
    return credssp_verify_mic(minor_status, context_handle, message_buffer,
                              token_buffer, qop_state);
}

CREDSSP_EXPORT OM_uint32
gss_import_name(OM_uint32 *minor_status, gss_buffer_t input_name_buffer,
                gss_OID input_name_type, gss_name_t *output_name)
{
    return credssp_import_name(minor_status, input_name_buffer,
                               input_name_type, output_name);
}

CREDSSP_EXPORT OM_uint32
gss_display_name(OM_uint32 *minor_status, gss_name_t input_name,
                 gss_buffer_t output_name_buffer, gss_OID *output_name_type)
{
    return credssp_display_name(minor_status, input_name, output_name_buffer,
                                output_name_type);
}

CREDSSP_EXPORT OM_uint32
gss_release_name(OM_uint32 *minor_status, gss_name_t *input_name)
{
    return credssp_release_name(minor_status, input_name);
}

CREDSSP_EXPORT OM_uint32
gss_duplicate_name(OM_uint32 *minor_status, const gss_name_t src_name,
                   gss_name_t *dest_name)
{
    return credssp_duplicate_name(minor_status, src_name, dest_name);
}

CREDSSP_EXPORT OM_uint32
gss_compare_name(OM_uint32 *minor_status, gss_name_t name1, gss_name_t name2,
                 int *name_equal)
{
    return credssp_compare_name(minor_status, name1, name2, name_equal);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_name(OM_uint32 *minor_status, gss_name_t input_name,
                 int *name_is_MN, gss_OID *MN_mech, gss_buffer_set_t *attrs)
{
    return credssp_inquire_name(minor_status, input_name, name_is_MN, MN_mech,
                                attrs);
}

CREDSSP_EXPORT OM_uint32
gss_localname(OM_uint32 *minor_status, const gss_name_t pname,
              gss_const_OID mech_type, gss_buffer_t localname)
{
    return credssp_localname(minor_status, pname, mech_type, localname);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_names_for_mech(OM_uint32 *minor_status, gss_OID mechanism,
                           gss_OID_set *name_types)
{
    return credssp_inquire_names_for_mech(minor_status, mechanism, name_types);
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

CREDSSP_EXPORT OM_uint32
gss_inquire_cred_by_mech(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                         gss_OID mech_type, gss_name_t *name,
                         OM_uint32 *initiator_lifetime,
                         OM_uint32 *acceptor_lifetime,
                         gss_cred_usage_t *cred_usage)
{
    return credssp_inquire_cred_by_mech(minor_status, cred_handle, mech_type,
                                        name, initiator_lifetime,
                                        acceptor_lifetime, cred_usage);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_sec_context_by_oid(OM_uint32 *minor_status,
                               const gss_ctx_id_t context_handle,
                               const gss_OID desired_object,
                               gss_buffer_set_t *data_set)
{
    return credssp_inquire_sec_context_by_oid(minor_status, context_handle,
                                              desired_object, data_set);
}

CREDSSP_EXPORT OM_uint32
gss_pseudo_random(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                  int prf_key, const gss_buffer_t prf_in,
                  ssize_t desired_output_len, gss_buffer_t prf_out)
{
    return credssp_pseudo_random(minor_status, context_handle, prf_key, prf_in,
                                 desired_output_len, prf_out);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_saslname_for_mech(OM_uint32 *minor_status,
                              const gss_OID desired_mech,
                              gss_buffer_t sasl_mech_name,
                              gss_buffer_t mech_name,
                              gss_buffer_t mech_description)
{
    return credssp_inquire_saslname_for_mech(minor_status, desired_mech,
                                             sasl_mech_name, mech_name,
                                             mech_description);
}

CREDSSP_EXPORT OM_uint32
gss_inquire_mech_for_saslname(OM_uint32 *minor_status,
                              const gss_buffer_t sasl_mech_name,
                              gss_OID *mech_type)
{
    return credssp_inquire_mech_for_saslname(minor_status, sasl_mech_name,
                                             mech_type);
}

CREDSSP_EXPORT OM_uint32
gss_store_cred_into(OM_uint32 *minor_status, gss_cred_id_t input_cred_handle,
                    gss_cred_usage_t input_usage, gss_OID desired_mech,
                    OM_uint32 overwrite_cred, OM_uint32 default_cred,
                    gss_const_key_value_set_t cred_store,
                    gss_OID_set *elements_stored,
                    gss_cred_usage_t *cred_usage_stored)
{
    return credssp_store_cred_into(minor_status, input_cred_handle,
                                   input_usage, desired_mech, overwrite_cred,
                                   default_cred, cred_store, elements_stored,
                                   cred_usage_stored);
}

CREDSSP_EXPORT OM_uint32
gss_wrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
             int conf_req_flag, gss_qop_t qop_req, int *conf_state,
             gss_iov_buffer_desc *iov, int iov_count)
{
    return credssp_wrap_iov(minor_status, context_handle, conf_req_flag,
                            qop_req, conf_state, iov, iov_count);
}

CREDSSP_EXPORT OM_uint32
gss_unwrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
               int *conf_state, gss_qop_t *qop_state,
               gss_iov_buffer_desc *iov, int iov_count)
{
    return credssp_unwrap_iov(minor_status, context_handle, conf_state,
                              qop_state, iov, iov_count);
}

CREDSSP_EXPORT OM_uint32
gss_wrap_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                    int conf_req_flag, gss_qop_t qop_req, int *conf_state,
                    gss_iov_buffer_desc *iov, int iov_count)
{
    return credssp_wrap_iov_length(minor_status, context_handle,
                                   conf_req_flag, qop_req, conf_state, iov,
                                   iov_count);
}
