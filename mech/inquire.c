/* Copyright (C) the gss-credssp contributors; see COPYING. */
/*
 * Mechanism-level inquiries.
 */
#include "config.h"

#include "mech/mech.h"

/*
 * Attributes of the mechanism (RFC 5587).  GSS_C_MA_MECH_NEGO is essential:
 * MIT SPNEGO leaves negotiating mechanisms out of its own list, which keeps
 * CredSSP from being offered inside SPNEGO -- including the SPNEGO context
 * inside CredSSP itself (DESIGN.md 5.2, 5.6).
 */
OM_uint32
credssp_inquire_attrs_for_mech(OM_uint32 *minor_status, gss_const_OID mech,
                               gss_OID_set *mech_attrs,
                               gss_OID_set *known_mech_attrs)
{
    gss_const_OID attrs[2];
    OM_uint32 major, tmp;
    size_t i;

    (void)mech;
    attrs[0] = GSS_C_MA_MECH_NEGO;
    attrs[1] = GSS_C_MA_ITOK_FRAMED;
    *minor_status = 0;
    if (known_mech_attrs != NULL) {
        *known_mech_attrs = GSS_C_NO_OID_SET;
    }
    if (mech_attrs == NULL) {
        return GSS_S_COMPLETE;
    }
    major = gss_create_empty_oid_set(minor_status, mech_attrs);
    for (i = 0; major == GSS_S_COMPLETE && i < sizeof(attrs) / sizeof(*attrs);
         i++) {
        /* The set copies the OID; a copy of the descriptor sheds const. */
        gss_OID_desc attr = *attrs[i];

        major = gss_add_oid_set_member(minor_status, &attr, mech_attrs);
    }
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&tmp, mech_attrs);
    }
    return major;
}

/* Our OIDs are static: the mechglue may ask us to release only those we
 * handed out, and there are none to free. */
OM_uint32
credssp_internal_release_oid(OM_uint32 *minor_status, gss_OID *oid)
{
    (void)oid;
    *minor_status = 0;
    return GSS_S_CONTINUE_NEEDED;
}
